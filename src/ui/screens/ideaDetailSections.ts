/**
 * Extension point of the idea detail view: each entry renders one section
 * below the idea (in order). The method screens append theirs here, e.g. the
 * published decision and links to evaluate / decide:
 *
 *   ideaDetailSections.push({ id: 'decision', component: PublishedDecision });
 *
 * A section receives the idea and renders nothing when it has nothing to show.
 */
import type { ComponentType } from 'preact';
import type { Idea } from '../../domain';

export interface IdeaDetailSectionProps {
  idea: Idea;
}

export interface IdeaDetailSection {
  id: string;
  component: ComponentType<IdeaDetailSectionProps>;
}

export const ideaDetailSections: IdeaDetailSection[] = [];
